from halint.cli import main

main()
