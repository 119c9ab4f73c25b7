export interface TdEmptyProps {
    description?: {
        type: StringConstructor;
        value?: string;
    };
    icon?: {
        type: null;
        value?: string | object;
    };
    image?: {
        type: StringConstructor;
        value?: string;
    };
}
