// Users of the dev server get the engine (Storage, AppLayer, Hooks, records) with it.
@_exported import PocketBase
