"""Maximum likelihood: coins, Gaussians, and MLE as minimum KL to the data."""
