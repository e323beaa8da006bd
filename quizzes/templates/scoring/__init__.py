"""Scoring rules and calibration: why log loss rewards honest probabilities."""
