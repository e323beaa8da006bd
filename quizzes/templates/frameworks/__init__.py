"""Loss functions as frameworks implement them: what they expect, how they reduce."""
