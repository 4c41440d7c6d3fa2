"""The embedded Minecraft 1.11.2 engine: voxel storage, world generation, physics,
interactions and rendering. Never imports gymnasium (layers import downward only)."""
