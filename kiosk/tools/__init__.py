"""Staff and maintainer tools that are not the kiosk itself: the preview gallery and the staff
guide's generated field reference.
"""
