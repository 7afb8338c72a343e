"""Pure rules, free of Textual and of the file system: the self-check's result, numbers as
spoken, letter sizes on a physical screen, QR matrices, and the staff PIN's hash and lockout.
"""
