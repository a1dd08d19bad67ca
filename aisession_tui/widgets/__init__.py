"""The client's widgets: pane views, the window layout, status line, prompt, copy mode,
overlays and the side panel. Only the client (``aisession_tui.client``) imports them."""
