"""Where the kiosk meets the machine it runs on: the terminal driver, the staff log, the state
folder, systemd's watchdog, the speech process, the browser server and the health file.
"""
