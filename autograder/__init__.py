"""xent-lab autograder: build, audit, check and grade the unit's assignments."""
