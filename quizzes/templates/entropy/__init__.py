"""Entropy, surprisal, units and the maximum-entropy distribution."""
