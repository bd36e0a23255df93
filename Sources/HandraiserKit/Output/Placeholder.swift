// Placeholder: this stage is being written.
