"""Field extraction's parts: page text cleaning, ID numbers, people and their roles, references."""
