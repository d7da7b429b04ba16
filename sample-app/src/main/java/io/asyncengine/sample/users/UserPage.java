package io.asyncengine.sample.users;

import java.util.List;

/**
 * One page of users.
 *
 * @param items the users of the page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total the number of users
 * @param sort the sort applied, {@code field,direction}
 */
public record UserPage(List<User> items, int page, int size, long total, String sort) {}
