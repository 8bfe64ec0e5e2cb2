"""Notebooks: grading a .ipynb, check() in Jupyter, generating exercise notebooks."""
