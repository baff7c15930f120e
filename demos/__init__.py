"""Gradio demos, one module per technology; `catalog` is the light list the web side reads."""
