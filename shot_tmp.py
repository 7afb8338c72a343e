import asyncio, sys
from kiosk.config import load_settings
from kiosk.content.model import load_library
from kiosk.app import KioskApp
from tests.conftest import screen_text
from pathlib import Path
async def main():
    s=load_settings(Path('kiosk.toml')); lib=load_library(Path('content'))
    app=KioskApp(s, lib, kiosk_mode=False)
    w,h=map(int,sys.argv[1].split('x'))
    async with app.run_test(size=(w,h)) as pilot:
        for k in sys.argv[2:]:
            if k.startswith('#'): await pilot.click(k)
            elif k.startswith('@'): app.action_set_language(k[1:])
            else: await pilot.press(k)
            await pilot.pause(); await pilot.pause()
        print(screen_text(app))
asyncio.run(main())
