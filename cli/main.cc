int main() { return 0; }  // Placeholder: being implemented.
