export { createUserService, type UserService } from './userService.js';
