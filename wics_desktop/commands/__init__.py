"""Subcommands of `wics`, one module per area; see wics_desktop.cli.COMMAND_MODULES."""
