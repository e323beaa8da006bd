"""xent-lab quiz bank: question templates, seeded variants and exporters."""
