"""Perplexity: from token probabilities, from a loss, and per character."""
