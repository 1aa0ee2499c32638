"""`commons check-pr`: what a pull request changes, who must approve it, and its plain-English summary."""
