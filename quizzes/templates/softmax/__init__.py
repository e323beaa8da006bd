"""Softmax with temperature, its limits, and the log-sum-exp trick."""
