// Placeholder: being implemented.
