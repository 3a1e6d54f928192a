"""The commands, a module each (`user/create.py`: its options, its checks, its run), imported only when run.

app.py lists them; options.py is what each declares itself with.
"""
