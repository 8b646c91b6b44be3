export const implementation = 'solutions';
