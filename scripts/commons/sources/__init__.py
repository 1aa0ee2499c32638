"""Councils' own repositories (federation): fetching each council's locked source and reading it as
content, with every file checked as if it came in a pull request. Empty until that capability lands."""
