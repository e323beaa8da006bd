"""Soft targets: label smoothing and distillation with a temperature."""
