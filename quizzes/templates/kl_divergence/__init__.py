"""KL divergence: value, asymmetry, infinities, Gibbs inequality, forward vs reverse, Jensen-Shannon."""
