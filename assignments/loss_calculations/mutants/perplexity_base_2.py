"""Perplexity taken as 2 ** loss although the loss is measured in nats (the base must match: e ** loss).

Loses: q3
"""

# %% q3
perplexity = 2 ** avg_ce
