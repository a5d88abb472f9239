from letterkit import main

main()
