"""One module per CLI command; ``docaudit.cli`` assembles them and maps errors to exit codes."""
