"""hotro: desk."""
