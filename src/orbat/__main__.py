from orbat.cli import main

main()
