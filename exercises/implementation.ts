export const implementation = 'exercises';
