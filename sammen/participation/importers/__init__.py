"""Importers that bring opportunities from other municipal systems into Få indflydelse."""
