"""`python -m belkg`: the same as the console script `belkg`."""

from belkg.console import main

main()
