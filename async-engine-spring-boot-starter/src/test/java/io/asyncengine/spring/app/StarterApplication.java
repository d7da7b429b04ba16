package io.asyncengine.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Boot application with nothing but the starter: the @SpringBootTest contexts run it. */
@SpringBootApplication
public class StarterApplication {}
