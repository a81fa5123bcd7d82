"""The browser practice room (Chainlit): thin handlers over the engine's SessionService.

Modules: `app` (the Chainlit handlers), `render` and `review` (pure rendering), `elements`
(Chainlit elements from a session view), `auth` (accounts), `storage` (the one storage seam),
`routes` (stored files), `runtime` (process-wide objects).
"""
