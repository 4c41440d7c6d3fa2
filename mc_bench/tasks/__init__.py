"""Task layer: TaskSpec schema and loader, the task registry, reward terms and conditions."""
