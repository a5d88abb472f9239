"""A letter's bytes in each output format, in memory: the registry of formats and the letter
being drafted (registry), the PDF (pdf, through the pdfworker process, signed by sign), the
self-contained HTML page (htmlpage), Word and LibreOffice (office, office_docx, office_odt),
the e-mail (eml).

May import: the base modules, campaign, letter and questionnaire.
"""
