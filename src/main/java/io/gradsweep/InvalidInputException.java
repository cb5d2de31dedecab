package io.gradsweep;

/** Input the user can fix (a spec, an option, an output location): reported without a stack trace, exit code 2. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
