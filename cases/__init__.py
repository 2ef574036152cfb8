"""hotro: cases."""
