"""Videndeling: the staff knowledge base on citizen dialogue, and the consultant directory."""
