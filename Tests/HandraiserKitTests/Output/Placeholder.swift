// Placeholder: tests for this stage are being written.
