// Chapter 00 has no exercises: it is the same code as the solution.
export * from '../../solutions/00-doctor/index.js';
