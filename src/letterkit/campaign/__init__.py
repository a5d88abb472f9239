"""The campaign folder: its YAML files read (yamlfile), typed (models), checked (rules) and
loaded into a Project (project); the words the data may use (vocabulary); a new folder
(scaffold).

May import: the base modules (errors, paths, text, files) only.
"""
