from devstats.cli import main

main()
