"""Management commands for the tests, named by their modules as Django names them.

Run them with ``call_command(module.Command(), ...)``.
"""
