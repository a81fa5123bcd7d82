"""One module per graph node, each exporting a function named after the node."""
