"""Classification losses: BCE, softmax cross-entropy, their gradients, MSE vs CE."""
