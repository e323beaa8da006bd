"""Cross-entropy: definition, decomposition, negative log-likelihood, coding view."""
