"""The emulator's web console: a page built from this package's own files (static/), served on a port of
its own together with the admin API it drives. No framework, no CDN: what the wheel holds is all it loads."""
