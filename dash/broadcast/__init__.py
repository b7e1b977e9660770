"""Broadcasting events to browsers over Server-Sent Events."""
